"""ACE (Annals of Continuing Education): medical assistant CE courses.

Modelled on https://www.annalsofcontinuingeducation.com/courses (not acefitness.org: the American
Council on Exercise is a different "ACE"). The listing links course pages with `a.course-link`,
paginated by `a.next`. Course pages carry schema.org Course JSON-LD (name, offers.price, description);
the credit ("2 contact hours (0.2 CEU)") and content area ("Content area: Clinical") are only in
the `.course-meta` list, so they are read from HTML.
"""

from crawlers.bases import CatalogSpider
from crawlers.bases.common import joined, ref_from_url
from crawlers.items import RawOffering


class AceSpider(CatalogSpider):
    name = "ace"
    provider = "ACE"
    base_url = "https://www.annalsofcontinuingeducation.com"
    start_paths = ["/courses"]
    course_links = "a.course-link"
    next_page = "a.next::attr(href)"
    defaults = {"kind": "course", "delivery": "online"}

    def parse_course(self, response, course):
        if course is None:
            self.report_malformed(response.url, "no schema.org Course on a course page")
        course = course or RawOffering(title=joined(response, "h1 ::text"))
        meta = response.css(".course-meta li ::text").getall()
        course.ref = ref_from_url(response.url)
        course.url = response.url
        course.provider = self.provider
        course.credits_text = [m for m in meta if "hour" in m.lower() or "ceu" in m.lower()]
        course.categories_text = [m for m in meta if "area" in m.lower()]
        course.accepted_by_text = [t for t in response.css(".accepted-by li::text").getall() if t.strip()]
        yield course
