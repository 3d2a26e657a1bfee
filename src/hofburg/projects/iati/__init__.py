"""IATI Activity Standard 2.03: projects written as `iati-activity` elements with lxml,
checked against the shipped IATI codelists and validated against the official XSD
(`data/projects/iati/`) before anything is written.

- `activity`: the plain values of one activity and the checks of its codes;
- `xml`: one activity as XML, in the schema's element order;
- `schema`: the XSD, loaded once, and validation naming each fault;
- `export`: the visible projects read in bulk, built, validated, written; a project that would
  be invalid is named with its reasons and nothing is written.
"""
