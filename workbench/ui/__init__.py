"""Widgets and figures for every notebook: thin shells over the stages' pure functions.

Dashboards call plain update functions (tested without a browser) and draw with matplotlib;
matplotlib and ipywidgets are imported inside the functions that need them, so importing a stage
never pulls them in.
"""
