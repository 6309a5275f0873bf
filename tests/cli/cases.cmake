# CLI contract cases: exit codes and messages (see tests/cli/expect.sh).
