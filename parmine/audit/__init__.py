"""The audit's checks: records in, findings out (no I/O).

:mod:`parmine.audit.checks` holds the checks within one report and across
reports; :mod:`parmine.audit.registry` holds citations against a registry
of documents; :mod:`parmine.pipelines.audit_run` feeds them from the store
and writes the findings.
"""
