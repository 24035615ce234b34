"""Building: publish, build state, incremental builds, the dist/ swap and lock."""
