"""The anchors of the engine benchmark (benches/engine.rs): pyoxigraph, rdflib and pySHACL on the
same input, in the same run. Each command prints JSON objects, one a line (seconds, peak memory in
MB, and what it counted); the bench merges them. Run by benches/engine.rs inside a virtual
environment it creates; not a test.
"""

import json
import resource
import sys
import time


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def out(**fields):
    fields["peak_mb"] = round(peak_mb(), 1)
    print(json.dumps(fields), flush=True)


def ox_format(name):
    import pyoxigraph

    return {"ttl": pyoxigraph.RdfFormat.TURTLE, "nt": pyoxigraph.RdfFormat.N_TRIPLES}[name]


def load(store_dir, path, fmt):
    """pyoxigraph's transactional Store.load of a file into an on-disk (RocksDB) store."""
    import pyoxigraph

    store = pyoxigraph.Store(store_dir)
    start = time.perf_counter()
    store.load(path=path, format=ox_format(fmt))
    store.flush()
    seconds = time.perf_counter() - start
    out(seconds=seconds, triples=len(store))


def dump(store_dir, path, fmt):
    """pyoxigraph's dump of the default graph into a file."""
    import pyoxigraph

    store = pyoxigraph.Store(store_dir)
    start = time.perf_counter()
    store.dump(output=path, format=ox_format(fmt), from_graph=pyoxigraph.DefaultGraph())
    seconds = time.perf_counter() - start
    out(seconds=seconds)


def rdflib_roundtrip(path, out_ttl, out_nt):
    """rdflib: parse the file, then serialise it as N-Triples and as Turtle (each timed). A line is
    printed after each step, so a run stopped at its time bound still reports the steps done."""
    import rdflib

    g = rdflib.Graph()
    start = time.perf_counter()
    g.parse(path, format="turtle")
    parse = time.perf_counter() - start
    out(parse_seconds=parse, triples=len(g))
    start = time.perf_counter()
    g.serialize(destination=out_nt, format="nt")
    nt = time.perf_counter() - start
    out(nt_seconds=nt)
    start = time.perf_counter()
    g.serialize(destination=out_ttl, format="turtle")
    ttl = time.perf_counter() - start
    out(ttl_seconds=ttl)


def shacl(data, *shapes):
    """pySHACL over a data file and a set of shapes files: results counted by severity; the
    validation timed, and rdflib's parse of the data file apart."""
    import pyshacl
    import rdflib

    data_graph = rdflib.Graph()
    start = time.perf_counter()
    data_graph.parse(data)
    parse = time.perf_counter() - start
    shapes_graph = rdflib.Graph()
    for s in shapes:
        shapes_graph.parse(s, format="turtle")
    start = time.perf_counter()
    conforms, report, _ = pyshacl.validate(data_graph, shacl_graph=shapes_graph, inference="none", advanced=False)
    seconds = time.perf_counter() - start
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    counts = {}
    for result in report.subjects(rdflib.RDF.type, sh.ValidationResult):
        severity = str(report.value(result, sh.resultSeverity)).rsplit("#", 1)[-1]
        counts[severity] = counts.get(severity, 0) + 1
    out(seconds=seconds, parse_seconds=parse, conforms=bool(conforms), results=counts, triples=len(data_graph))


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    {"load": load, "dump": dump, "rdflib": rdflib_roundtrip, "shacl": shacl}[command](*args)
