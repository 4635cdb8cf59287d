"""Thin glue between GraphQL and the services: unpack, call one service, return its result."""
