"""The only write path: load, authorize, apply the domain rule, save + event in one
transaction, publish after commit. Resolvers, the CLI, the alert worker and tests call these."""
