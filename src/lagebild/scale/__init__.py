"""Running the per-article work on Apache Spark when a corpus outgrows one machine.

Reading and the per-article stages (text, entities, time, quotes, facts) are most of the cost
and need nothing but the article, so they run on the cluster: each input file is read by the
same readers ``lagebild ingest`` uses and each article is analysed by the same ``Pipeline``.
The result is a folder of JSON lines (``articles/``: one analysed article per line;
``rejections/``: one bad input per line) that ``lagebild scale load`` puts into a store, where
story clustering, canonical entities and dossiers run as usual. Clustering stays on one
machine on purpose: it is one pass over the articles in publication order over small
per-article features, so it is cheap beside the analysis, and splitting it would change the
stories.

``job`` holds the work done on each executor, free of Spark, so it is tested without a JVM;
``spark`` only wires it into a Spark job (``pip install 'lagebild[spark]'`` and Java 17+).
"""

from lagebild.scale.job import analyse_partition, output_docs, output_rejections, read_input

__all__ = ["analyse_partition", "output_docs", "output_rejections", "read_input"]
