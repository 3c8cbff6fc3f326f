package dev.evtctl.cli;

/** The result formats of -o. */
public enum OutputFormat {
  table,
  json,
  ndjson,
  csv
}
