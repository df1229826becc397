"""Live context HTTP and WebSocket endpoints, the per-process hub and the pages."""
