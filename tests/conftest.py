pytest_plugins = ["api_fixtures", "corpus_fixtures"]
