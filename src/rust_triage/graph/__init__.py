"""Graph layer: name resolution (resolve.py), the networkx symbol graph (build.py), exports."""
