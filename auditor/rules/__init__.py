"""Rule packs: schema, loader (every problem with its line) and the evaluation engine."""
