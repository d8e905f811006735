#!/usr/bin/env bash
# Refresh the translation catalogue after strings changed in templates or code:
# extract every {% trans %}/{% blocktrans %}/gettext string of the package into
# src/afterword/locale/<lang>/LC_MESSAGES/django.po (new strings arrive
# untranslated, removed ones are dropped), then compile the .mo files the site
# reads. Commit both: installing Afterword never needs GNU gettext.
#
#   scripts/update-translations.sh            # every shipped language
#   scripts/update-translations.sh fr         # one language
#
# Needs GNU gettext (xgettext, msgmerge, msgfmt). Translate what is new (an
# empty msgstr, or an entry marked "fuzzy"), run this again, and
# tests/i18n/test_catalogue.py checks nothing is left untranslated.
#
# Scripts read their strings from the page they run on (data-* attributes
# written with {% trans %}), so there is no djangojs catalogue to refresh.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-$root/.venv/bin/python}"
[ -x "$python" ] || python=python3
languages=("$@")
[ ${#languages[@]} -gt 0 ] || languages=(fr)

# The data folder is a throwaway one: settings create a secret key in it.
data_dir="$(mktemp -d)"
trap 'rm -rf "$data_dir"' EXIT
export AFTERWORD_DATA_DIR="$data_dir"
export DJANGO_SETTINGS_MODULE=afterword.config.settings.base
export PYTHONPATH="$root/src${PYTHONPATH:+:$PYTHONPATH}"

cd "$root/src/afterword"
args=()
for language in "${languages[@]}"; do args+=(--locale "$language"); done
"$python" -m django makemessages "${args[@]}" --domain django \
  --extension html,txt,py --ignore 'migrations/*' --add-location file \
  --no-obsolete
"$python" -m django compilemessages "${args[@]}" --ignore '*/site-packages/*'
