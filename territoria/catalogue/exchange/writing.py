"""Writing a validated document: an upsert, inside the caller's transaction."""

from territoria.catalogue.exchange.columns import TABLES, Row, model_fields
from territoria.catalogue.models import Feedback, Figure, Provider, Solution, Tag, UseCase
from territoria.territories.models import Collectivite


def write(tables: dict[str, list[Row]]) -> dict[str, int]:
    rows = {table: [row.values for row in tables.get(table, [])] for table in TABLES}
    for values in rows["tags"]:
        Tag.objects.update_or_create(slug=values["slug"], defaults=model_fields("tags", values))
    tags = {tag.slug: tag for tag in Tag.objects.all()}
    providers = {}
    for values in rows["providers"]:
        fields = model_fields("providers", values) | {"region_id": values["region"] or None}
        if values["siren"]:
            match = Provider.objects.filter(siren=values["siren"])
        else:
            match = Provider.objects.filter(siren__isnull=True, name=values["name"])
        # Namesakes without a SIREN are told apart by their order: each is matched once.
        used = [provider.pk for provider in providers.values()]
        provider = match.exclude(pk__in=used).order_by("pk").first() or Provider()
        for key, value in fields.items():
            setattr(provider, key, value)
        provider.save()
        providers[values["ref"]] = provider
    for values in rows["use_cases"]:
        use_case, _created = UseCase.objects.update_or_create(
            slug=values["slug"], defaults=model_fields("use_cases", values)
        )
        use_case.prerequisites.set([tags[slug] for slug in values["prerequisites"]])
    use_cases = {use_case.slug: use_case for use_case in UseCase.objects.all()}
    for values in rows["solutions"]:
        fields = model_fields("solutions", values) | {"provider": providers.get(values["provider"])}
        solution, _created = Solution.objects.update_or_create(slug=values["slug"], defaults=fields)
        solution.use_cases.set([use_cases[slug] for slug in values["use_cases"]])
        solution.standards.set([tags[slug] for slug in values["standards"]])
        solution.references.set(values["references"])
    solutions = {solution.slug: solution for solution in Solution.objects.all()}
    # The document is the truth about the figures of every owner it names.
    owner_use_cases = {v["slug"] for v in rows["use_cases"]} | {
        v["use_case"] for v in rows["figures"] if v["use_case"]
    }
    owner_solutions = {v["slug"] for v in rows["solutions"]} | {
        v["solution"] for v in rows["figures"] if v["solution"]
    }
    Figure.objects.filter(use_case__slug__in=owner_use_cases).delete()
    Figure.objects.filter(solution__slug__in=owner_solutions).delete()
    for values in rows["figures"]:
        Figure.objects.create(
            use_case=use_cases.get(values["use_case"]),
            solution=solutions.get(values["solution"]),
            **model_fields("figures", values),
        )
    for values in rows["feedback"]:
        use_case = use_cases[values["use_case"]]
        item = (
            Feedback.objects.filter(
                use_case=use_case, commune_id=values["commune"], title=values["title"]
            )
            .order_by("pk")
            .first()
        ) or Feedback(use_case=use_case, commune_id=values["commune"])
        for key, value in model_fields("feedback", values).items():
            setattr(item, key, value)
        item.solution = solutions.get(values["solution"])
        item.collectivite = (
            Collectivite.objects.get(slug=values["collectivite"])
            if values["collectivite"]
            else None
        )
        item.save()
    # Figures and feedback change a solution's summary (and its search facets).
    summarised = owner_solutions | {v["slug"] for v in rows["solutions"]}
    summarised |= {v["solution"] for v in rows["feedback"] if v["solution"]}
    for solution in Solution.objects.filter(slug__in=summarised).order_by("pk"):
        solution.refresh_summary()
    return {table: len(rows[table]) for table in TABLES}
