#!/usr/bin/env bash
# Print the path of a working Python 3.10 interpreter, or nothing.
# A pyenv shim named python3.10 may exist without 3.10 being selected, so
# every candidate is run before it is trusted.
ok() { "$1" -c 'import sys, venv; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1; }
for candidate in "$(command -v python3.10 2>/dev/null)" \
                 $( (ls -d "$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"/versions/3.10.*/bin/python3.10 2>/dev/null) | sort -V -r) \
                 /usr/bin/python3.10 /usr/local/bin/python3.10; do
  if [ -n "$candidate" ] && [ -x "$candidate" ] && ok "$candidate"; then
    echo "$candidate"; exit 0
  fi
done
exit 1
