/**
 * Catalog apps the generator installs first, in this order; bigger orgs then add custom OIDC, SAML,
 * bookmark and SWA apps. `provisioning` apps carry Okta's SCIM/provisioning `features`; `importsGroups`
 * apps are where APP_GROUPs come from.
 */
export type CatalogSignOnMode = "SAML_2_0" | "OPENID_CONNECT" | "BOOKMARK" | "BROWSER_PLUGIN" | "AUTO_LOGIN";

export interface CatalogApp {
  name: string;
  label: string;
  signOnMode: CatalogSignOnMode;
  provisioning: boolean;
  importsGroups: boolean;
  url: string;
}

export const CATALOG_APPS: readonly CatalogApp[] = [
  { name: "google", label: "Google Workspace", signOnMode: "SAML_2_0", provisioning: true, importsGroups: true, url: "https://workspace.google.com" },
  { name: "slack", label: "Slack", signOnMode: "SAML_2_0", provisioning: true, importsGroups: false, url: "https://slack.com" },
  { name: "salesforce", label: "Salesforce.com", signOnMode: "SAML_2_0", provisioning: true, importsGroups: false, url: "https://login.salesforce.com" },
  { name: "oidc_client", label: "Expense Portal", signOnMode: "OPENID_CONNECT", provisioning: false, importsGroups: false, url: "https://expenses.internal.example" },
  { name: "bookmark", label: "Company Wiki", signOnMode: "BOOKMARK", provisioning: false, importsGroups: false, url: "https://wiki.internal.example" },
  { name: "githubcloud", label: "GitHub Enterprise Cloud", signOnMode: "SAML_2_0", provisioning: true, importsGroups: false, url: "https://github.com" },
  { name: "workday", label: "Workday", signOnMode: "SAML_2_0", provisioning: true, importsGroups: true, url: "https://www.myworkday.com" },
  { name: "amazon_aws", label: "AWS Account Federation", signOnMode: "SAML_2_0", provisioning: false, importsGroups: false, url: "https://signin.aws.amazon.com" },
  { name: "template_swa", label: "Legacy Payroll", signOnMode: "BROWSER_PLUGIN", provisioning: false, importsGroups: false, url: "https://payroll.legacy.example/login" },
  { name: "zoomus", label: "Zoom", signOnMode: "SAML_2_0", provisioning: true, importsGroups: false, url: "https://zoom.us" },
  { name: "scim2testapp", label: "Acme SCIM Directory", signOnMode: "SAML_2_0", provisioning: true, importsGroups: true, url: "https://scim.acme.example" },
  { name: "bookmark", label: "HR Handbook", signOnMode: "BOOKMARK", provisioning: false, importsGroups: false, url: "https://handbook.internal.example" },
  { name: "atlassian", label: "Atlassian Cloud", signOnMode: "SAML_2_0", provisioning: true, importsGroups: false, url: "https://id.atlassian.com" },
  { name: "oidc_client", label: "Build Dashboard", signOnMode: "OPENID_CONNECT", provisioning: false, importsGroups: false, url: "https://builds.internal.example" },
  { name: "boxnet", label: "Box", signOnMode: "SAML_2_0", provisioning: true, importsGroups: false, url: "https://app.box.com" },
  { name: "servicenow_ud", label: "ServiceNow", signOnMode: "SAML_2_0", provisioning: false, importsGroups: false, url: "https://acme.service-now.example" },
  { name: "dropbox_for_business", label: "Dropbox Business", signOnMode: "SAML_2_0", provisioning: true, importsGroups: false, url: "https://www.dropbox.com" },
];

/** Features Okta lists on an app with provisioning (SCIM) turned on. */
export const PROVISIONING_FEATURES: readonly string[] = [
  "IMPORT_NEW_USERS", "IMPORT_PROFILE_UPDATES", "PUSH_NEW_USERS", "PUSH_PROFILE_UPDATES",
  "PUSH_USER_DEACTIVATION", "REACTIVATE_USERS", "GROUP_PUSH",
];

/** Custom apps for orgs bigger than the catalog. */
export const CUSTOM_APP_KINDS: readonly { signOnMode: CatalogSignOnMode; name: string; labelPrefix: string }[] = [
  { signOnMode: "OPENID_CONNECT", name: "oidc_client", labelPrefix: "Internal Service" },
  { signOnMode: "SAML_2_0", name: "customsaml", labelPrefix: "Partner Portal" },
  { signOnMode: "BOOKMARK", name: "bookmark", labelPrefix: "Team Link" },
  { signOnMode: "BROWSER_PLUGIN", name: "template_swa", labelPrefix: "Vendor Console" },
  { signOnMode: "AUTO_LOGIN", name: "autologin", labelPrefix: "Kiosk App" },
];
