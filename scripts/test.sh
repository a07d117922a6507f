#!/usr/bin/env bash
# All tests: install (as root) the Debian packages the tests run for real when they are missing,
# then install npm dependencies, build, type-check, lint and run the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/sbin:/sbin"

# command → Debian package. Tests run these real tools; a missing one is a failure, not a skip.
need=()
for pair in ufw:ufw sshd:openssh-server ssh:openssh-client ssh-keygen:openssh-client timeout:coreutils pgrep:procps useradd:passwd fail2ban-client:fail2ban fail2ban-server:fail2ban \
            sudo:sudo ss:iproute2 ip:iproute2 nginx:nginx certbot:certbot openssl:openssl \
            nft:nftables iptables:iptables iptables-restore:iptables setpriv:util-linux unshare:util-linux \
            nsenter:util-linux fallocate:util-linux mount:mount mkfs.ext4:e2fsprogs ps:procps systemctl:systemd chromium:chromium \
            rsyslogd:rsyslog crontab:cron; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || need+=("${pair#*:}")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "tests need these Debian packages: ${need[*]} (run as root, or: sudo apt-get install ${need[*]})" >&2
    exit 1
  fi
  echo "installing Debian packages: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then npm ci --no-audit --no-fund; fi
npm run build
npm run typecheck
npm run lint
npx vitest run "$@"
