"""The election observation desk: missions, polling-station frames, XLSForm forms served over
OpenRosa, submissions, ODIHR-style statement figures and PVT estimates."""
