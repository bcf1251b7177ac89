.PHONY: test lint fmt docs example bench bench-data

test:
	python -m pytest -q

lint:
	ruff check .
	ruff format --check .
	mypy
	bedcap schema --check
	cog --check README.md docs/bevindingen.md

fmt:
	ruff format .
	ruff check --fix .

docs:
	cog -r README.md docs/bevindingen.md

example:
	python scripts/make_example.py

bench-data:
	test -d bench/national || python bench/generate.py bench/national

bench: bench-data
	python bench/run.py bench/national
