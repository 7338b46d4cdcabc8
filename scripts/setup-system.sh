#!/usr/bin/env bash
# Installs the Debian packages Switchboard's tests and sandbox need, and says what it installs:
#   chromium     the real browser the e2e tests and the sandbox screenshots drive (playwright-core never downloads one)
#   libkrb5-dev  code-server compiles its kerberos module against it
#   ripgrep      stands in for the ripgrep binary code-server would otherwise download from GitHub
#   pkg-config   used by that native build
# Without root it prints the command to run instead.
set -euo pipefail

packages=(chromium libkrb5-dev ripgrep pkg-config)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-system: all needed Debian packages are present (${packages[*]})."
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "setup-system: missing Debian packages: ${missing[*]}"
  echo "setup-system: install them as root:  sudo apt-get install -y ${missing[*]}"
  exit 1
fi

echo "setup-system: installing ${missing[*]} (apt-get) …"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
echo "setup-system: installed ${missing[*]}."
