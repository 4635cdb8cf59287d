"""What keeps strangers out: the security log, login throttling, credential endings, and
the GraphQL and HTTP guards (introspection, scopes, one login per request, headers)."""
