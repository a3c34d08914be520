#!/usr/bin/python3
"""Runs a command (its output passes through), then prints on stdout
`peak_rss_kib N`: the peak resident set size of the largest process it started, from
ru_maxrss of the terminated, waited-for descendants. Exits with the command's status.
Usage: peak_rss.py COMMAND [ARG...]"""
import resource
import subprocess
import sys

code = subprocess.call(sys.argv[1:])
sys.stdout.flush()
print(f"peak_rss_kib {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}", flush=True)
sys.exit(code)
