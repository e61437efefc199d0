"""Rule engine: findings model, rule metadata, registry, configuration, suppression and running."""
