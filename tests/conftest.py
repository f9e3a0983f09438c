pytest_plugins = ["api_fixtures"]
