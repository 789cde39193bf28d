"""The web pages (cohort dashboard, member roadmap) as HTML, and their HTTP routes."""
