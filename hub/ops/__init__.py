"""Operating the hub: structured logs with a request id, Prometheus metrics, the request
middleware that feeds both, and the GraphQL extension that names each operation."""
