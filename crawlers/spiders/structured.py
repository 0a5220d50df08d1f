"""structured: the generic schema.org spider for any site (`-a url=URL [-a provider=NAME]`).

Reads Course / CourseInstance / Offer / EducationalOccupationalProgram in JSON-LD, microdata and
RDFa from every same-site page it reaches from `url` and the site's sitemap.xml.
"""

from crawlers.bases import StructuredDataSpider


class StructuredSpider(StructuredDataSpider):
    name = "structured"
