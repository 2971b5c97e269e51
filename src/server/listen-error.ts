import { formatListenAddress, type ListenAddress } from "../config/index.js";

/** The one-line reason a listener could not bind, naming the flag to change. */
export function listenError(error: NodeJS.ErrnoException, address: ListenAddress, flag: string): Error {
  const where = formatListenAddress(address);
  if (error.code === "EADDRINUSE") return new Error(`${where} is already in use; stop the other process or pick another --${flag}`);
  if (error.code === "EACCES") return new Error(`no permission to listen on ${where}; use a port above 1024 or another socket path`);
  return new Error(`cannot listen on ${where}: ${error.message}`);
}
