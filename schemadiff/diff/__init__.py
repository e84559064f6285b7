"""The diff stage: options, results, the engine that runs the comparators, filters, renames,
ordering."""
