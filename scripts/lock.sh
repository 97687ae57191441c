#!/usr/bin/env bash
# Refresh requirements.lock, the versions every install uses (README's install command, CI).
#
# Resolves the newest versions that pyproject.toml allows in a fresh virtual environment,
# installs crossbrief with them exactly as a newcomer would, and runs the whole suite with
# them: the new lock replaces the old one only when the suite passes. Then commit it.
#
#   scripts/lock.sh            # the README's Python (3.11 here); needs the package registry
set -euo pipefail
cd "$(dirname "$0")/.."

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
# shellcheck disable=SC1091
. "$work/venv/bin/activate"
python -m pip install --quiet --upgrade pip
python -m pip install ".[dev]"  # not editable, so that freeze lists crossbrief to drop it

{
  echo "# The versions crossbrief is tested with: every install uses them as constraints"
  echo "# (python -m pip install -c requirements.lock ...). Made by scripts/lock.sh on"
  echo "# $(date -u +%Y-%m-%d) with $(python --version) on $(uname -sm); refresh with it."
  echo "# torch's local label (+cpu) is left out: the pin then matches the CPU build and PyPI's."
  python -m pip freeze --all --exclude pip --exclude crossbrief | sed -E 's/^(torch==[^+]+)\+.*/\1/' | sort -f
} > "$work/requirements.lock"

python -m pip uninstall --quiet --yes crossbrief
python -m pip install -c "$work/requirements.lock" -e ".[dev]"
crossbrief prepare
python -m pytest
cp "$work/requirements.lock" requirements.lock
echo "requirements.lock refreshed: review 'git diff requirements.lock' and commit it"
