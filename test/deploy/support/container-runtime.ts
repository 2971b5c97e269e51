import { getContainerRuntimeClient } from "testcontainers";

/** Set to 1 to skip the container tests even where a Docker engine runs (e.g. a slow CI lane). */
export const SKIP_CONTAINER_TESTS_ENV = "OKTA_CONNECTOR_SKIP_CONTAINER_TESTS";

/**
 * Why the container tests cannot run here, or undefined when they can. testcontainers needs a
 * reachable engine (a Docker or Podman socket, DOCKER_HOST, or Testcontainers Cloud); a docker CLI
 * alone is not one. Asked once per file, with a bound so that a hung socket cannot stall the suite.
 */
export async function containerRuntimeUnavailable(env: NodeJS.ProcessEnv = process.env, timeoutMs = 15_000): Promise<string | undefined> {
  if (env[SKIP_CONTAINER_TESTS_ENV] === "1") return `${SKIP_CONTAINER_TESTS_ENV}=1`;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer from a container runtime within ${timeoutMs} ms`), timeoutMs);
  });
  try {
    return await Promise.race([
      getContainerRuntimeClient().then(
        () => undefined,
        (error: unknown) => `no container runtime reachable (${error instanceof Error ? error.message : String(error)})`,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
