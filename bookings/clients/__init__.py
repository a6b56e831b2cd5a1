"""Client records: the list, the card, edits and merging duplicates (issue 17)."""
