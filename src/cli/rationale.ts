/**
 * Why each check matters: what goes wrong in production when it fails. `predeploy explain <id>`
 * prints it between what the check verifies and how to fix it. A test keeps this table and the
 * registry in step (every check has one; no entry names a check that does not exist).
 *
 * It lives here, next to `explain`, rather than in each check's metadata only because the
 * check folders were out of this change's reach; moving each line into its check's `meta` is
 * a mechanical follow-up.
 */
export const WHY: Readonly<Record<string, string>> = {
  'infra.prod-resources':
    'Production that runs on dev resources shares their data, keys, limits and outages: a test in dev can corrupt orders, and nobody can tell what production depends on.',
  'infra.key-vault':
    'The vault holds every production credential. Without purge protection one delete loses them for good; open network rules and no audit log mean a leak goes unseen; a secret dev has and prod lacks breaks the service at go-live.',
  'infra.storage':
    'Order documents and exports live in this account. Plain HTTP, old TLS or anonymous blob access expose them; locally redundant storage loses them with one datacentre.',
  'infra.cosmos':
    'Cosmos DB holds the orders. Sharing the account with dev mixes test data into production and lets a dev mistake delete real orders; open network access exposes it to the internet.',
  'infra.dns':
    'Users, Zoho webhooks and Teams reach the service by name. A record that points elsewhere sends production traffic (and credentials in it) to the wrong machine, or nowhere.',
  'infra.services':
    'A service that is not enabled does not come back after a reboot; one without Restart= stays down after its first crash, and orders stop until someone notices.',
  'infra.disk-usage':
    'A full disk stops logging, database writes, certificate renewal and package updates at once — the usual cause of an outage that "just happened" at night.',
  'security.os-patches':
    'Pending security updates are known, published vulnerabilities; an internet-facing VM is scanned for them within hours of disclosure.',
  'security.firewall':
    'Without a default-deny firewall every service that listens — a database, a debug port, an admin UI — is reachable from the internet the moment it starts.',
  'security.fail2ban':
    'SSH and nginx on a public address are brute-forced around the clock; fail2ban bans the sources, keeping the logs readable and the guessing slow.',
  'security.ssh':
    'Root and password logins are what SSH brute force aims at; keys only and no root login close the most common way into a VM.',
  'security.nginx-headers':
    'Security headers make browsers refuse downgrade, clickjacking and content sniffing; without HSTS the first plain-HTTP request can be intercepted, and a version banner tells attackers which exploits to try.',
  'security.rate-limiting':
    'One client — a misbehaving integration or an attacker — can exhaust the API and the Zoho quota behind it; rate and body limits keep one caller from taking the service down.',
  'security.open-ports':
    'A database or cache listening on a public address is one firewall mistake away from the internet; binding internal services to loopback makes the firewall a second line, not the only one.',
  'security.tls-certificate':
    'An expired or wrong certificate stops browsers, Zoho webhooks and the Teams channel at once; automatic renewal is what keeps it from expiring on a weekend.',
  'security.nginx-tls':
    'TLS 1.0/1.1 and weak ciphers allow downgrade and decryption attacks; without the HTTP→HTTPS redirect users and integrations can end up sending data in the clear.',
  'secrets.zoho-prod-tokens':
    'A refresh token from the sandbox (or for another org) makes production read and write the wrong books — or fail on the first call after go-live.',
  'secrets.bot-credentials':
    "An expired or missing bot secret silently stops the Teams bot: Microsoft's channel cannot authenticate it, and users see no answer.",
  'secrets.in-key-vault':
    'Secrets in plaintext files are copied into backups, images, support bundles and shell histories; anyone who can read the file owns the Zoho books and the bot.',
  'secrets.rotation-policy':
    'A secret that is never rotated stays valid after everyone who saw it has left; without a policy and expiry dates nobody knows when, or by whom, it is rotated.',
  'monitoring.azure-monitor-vm':
    'Without the agent and a data collection rule there are no VM metrics or logs in Azure — no alert can fire and no incident can be investigated after the fact.',
  'monitoring.log-shipping':
    'Logs that stay on the VM are lost with it and unreadable when it is down — exactly when they are needed.',
  'monitoring.alert-service-down':
    'Without a down alert, customers are the monitoring: orders stop and the first signal is a complaint.',
  'monitoring.alert-error-rate':
    'A service can be up and failing every request (an expired Zoho token, a bad deploy); only an error-rate alert catches that.',
  'monitoring.alert-disk-space':
    'A disk fills slowly and then stops everything at once; an alert gives days of warning instead of an outage.',
  'monitoring.alert-ssl-expiry':
    'When renewal breaks silently, the certificate expires weeks later with no other warning; an expiry alert turns that into a ticket.',
  'monitoring.external-health':
    "Checks that run on the VM cannot see DNS, certificate, network or VM-down failures; only a probe from outside sees what users see.",
  'monitoring.health-endpoint':
    'Load balancers, availability tests and the rollback decision all rely on a health endpoint that answers through nginx over HTTPS.',
  'backup.cosmos-policy':
    'Orders lost to a bad deploy or a mistaken delete can only be restored from backup; the default periodic policy may keep too little, too rarely.',
  'backup.blob-versioning':
    'An overwritten or deleted blob is gone without versioning and soft delete — including after ransomware or a buggy job.',
  'backup.vm-backup':
    'The VM holds configuration, certificates and state that exist nowhere else; a backup whose last run failed is no backup.',
  'backup.recovery-procedure':
    'A backup nobody has restored is a hope, not a plan: the written procedure and a drill are what make recovery take hours instead of days.',
  'zoho.prod-org-id':
    'With the sandbox org id (or none), production orders are written to test books — or every call fails after go-live.',
  'zoho.prod-oauth':
    'An OAuth client registered in another data centre cannot refresh tokens for the production org: every Zoho call fails from the first hour.',
  'zoho.rate-limits':
    "Zoho enforces per-minute, daily and concurrency limits per plan; going over blocks the org's API for the rest of the day, mid-business.",
  'zoho.webhooks':
    'Webhooks that still point at dev deliver production events to the dev service — or to nothing — and orders silently stop flowing.',
  'bot.decision':
    'Until it is decided whether production shares the dev bot registration, nobody can create, secure or check the production bot.',
  'bot.app-registration':
    'A multi-tenant app, or dev and prod sharing one, lets the wrong tenant or a dev change reach production users; Microsoft no longer allows new multi-tenant bots.',
  'bot.resource':
    'Without the production Azure Bot resource and its Teams channel, users in Teams cannot reach the production bot at all.',
  'bot.messaging-endpoint':
    "Teams sends every message to the bot's messaging endpoint; if it still points at dev, production users talk to the dev service (with dev data).",
  'golive.dev-tests':
    'Deploying a commit that did not pass the full suite turns production into the test environment.',
  'golive.uat':
    'Only the people who process orders can confirm the release does their job; without sign-off the first real order is the acceptance test.',
  'golive.rollback':
    'When a release goes wrong the way back must be known and rehearsed; an improvised rollback under pressure is where data gets lost.',
  'golive.support-contacts':
    'At 2 a.m. on go-live night, whoever sees the problem must know whom to call, for the service, Azure, Zoho and Teams.',
  'golive.window':
    'Going live at low order volume, announced to the business, limits the damage of a problem and makes sure the right people are there.',
};
