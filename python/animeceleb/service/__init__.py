"""The gRPC render service (proto/animeceleb/v1/render.proto): server and Python client."""
