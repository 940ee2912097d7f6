# Territoria — `make help` lists the targets.
.DEFAULT_GOAL := help
VENV := .venv/bin

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

demo: ## Install, prepare the demo (SQLite, real territories) and serve it on http://127.0.0.1:8000
	@bin/bootstrap
	@$(VENV)/territoria demo

serve: ## Serve with the production server (settings from the environment)
	@bin/bootstrap
	@$(VENV)/territoria serve

test: ## Install and run the whole test suite on SQLite and PostgreSQL, browser tests included
	@bin/test

quality: ## Lint Python and templates, check migrations are up to date
	@bin/bootstrap --dev
	$(VENV)/ruff check territoria tests bench
	$(VENV)/ruff format --check territoria tests bench
	$(VENV)/djlint --check territoria/templates territoria/*/templates
	$(VENV)/djlint --lint territoria/templates territoria/*/templates
	$(VENV)/python manage.py makemigrations --check --dry-run

fix: ## Fix what the linters can fix
	@bin/bootstrap --dev
	$(VENV)/ruff check --fix territoria tests bench
	$(VENV)/ruff format territoria tests bench
	$(VENV)/djlint --reformat territoria/templates territoria/*/templates || true

bench: ## Run every benchmark under bench/ (figures go to docs/benchmarks.md)
	@bin/bootstrap --dev
	@for script in bench/*.py; do echo "== $$script"; $(VENV)/python $$script || exit 1; done

.PHONY: help demo serve test quality fix bench
