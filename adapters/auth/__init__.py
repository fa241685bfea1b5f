"""How a user proves who they are: the site's configuration and the directory sign-in."""
