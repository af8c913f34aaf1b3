"""The wheel carries the pages (web/) and the schemas (schemas/) inside the package, as
server.web and server.schemas, so an installed Snug finds them without the checkout."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["server", "server.*"]), "server.web", "server.schemas"],
    package_dir={"server.web": "web", "server.schemas": "schemas"},
    package_data={
        "server": ["**/*.json", "**/*.html"],
        "server.web": ["**/*"],
        "server.schemas": ["*.json"],
    },
)
