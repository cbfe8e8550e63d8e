"""The Qt workstation: every widget lives here, and talks only to praverka.app."""
