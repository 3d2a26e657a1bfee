"""Web entry of observation forms in the browser with Enketo (decision 0043)."""
