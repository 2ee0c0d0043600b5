"""The operator's own screens inside the admin: today's overview and the dispute queue."""
