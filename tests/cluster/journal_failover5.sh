#!/usr/bin/env bash
# journal_failover.sh with five voters: kill -9 of the leader, a new leader
# among four, restart and catch-up, every acknowledged commit everywhere.
NODES=5 exec bash "$(dirname "$0")/journal_failover.sh"
