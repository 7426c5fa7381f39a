"""Runs as a whole: resuming one, slicing the registry into shards, merging shard outputs and
comparing two runs."""
