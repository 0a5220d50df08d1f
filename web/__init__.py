"""CEU Planner's web app (`recommend serve`): pages and a JSON API over the same library as the CLI.

Importing this package is light (click only, in `web.command`); FastAPI, Jinja2 and uvicorn are
imported when the server starts (`web.app.create_app`).
"""
