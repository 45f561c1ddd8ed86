from django.core.management.base import BaseCommand, CommandError

from strategyportal.seeding import SeedRefused, label, load_seed


class Command(BaseCommand):
    help = (
        "Add what is missing of the five source documents in fixtures/seed, recorded in the "
        "history as done by the seed; what the history shows people deleted or renamed is not "
        "added again. Objects that differ from the seed are left as they are; --force updates "
        "them, but only if nobody but the seed has changed them since it loaded them, and "
        "otherwise refuses and writes nothing. Loading twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help=(
                "also update seeded objects that differ from the seed, if no person changed "
                "them, and add missing ones of kinds that keep no history"
            ),
        )

    def handle(self, *args, force, verbosity, **options):
        try:
            report = load_seed(force=force)
        except SeedRefused as refused:
            raise CommandError(
                f"--force would overwrite {len(refused.changed)} seeded object(s) that people "
                "changed since the seed loaded them, so it wrote nothing. Where the seed's "
                "version should win, edit them to it in the admin:\n"
                + "\n".join(f"  {difference}" for difference in refused.changed)
            ) from None
        if not verbosity:
            return
        if report.added or report.updated:
            lines = [
                f"The seed: {len(report.added)} object(s) added, {len(report.updated)} updated."
            ]
        else:
            lines = ["The seed: nothing added or updated."]
        if report.kept:
            people = len(report.changed_by_people)
            kept = (
                f"{len(report.kept)} differ from the seed and are kept: {people} changed by people"
            )
            if untouched := len(report.kept) - people:
                kept += f", {untouched} only by the seed (--force updates those)"
            lines.append(kept + ".")
        if report.gone:
            lines.append(f"{len(report.gone)} deleted or renamed since loaded, not added again.")
        if report.unsure:
            lines.append(
                f"{len(report.unsure)} missing of kinds that keep no history (perhaps a person "
                "deleted or renamed them) are not added; --force adds them."
            )
        if report.left_out:
            lines.append(f"{len(report.left_out)} left out as what they belong to is missing.")
        if verbosity > 1:
            lines += [f"  added {label(obj)}" for obj in report.added]
            lines += [f"  updated {label(obj)}" for obj in report.updated]
            lines += [f"  kept {difference}" for difference in report.kept]
            lines += [f"  not added: {gone}" for gone in report.gone]
            lines += [f"  missing, not added: {unsure}" for unsure in report.unsure]
            lines += [f"  left out: {left_out}" for left_out in report.left_out]
        elif report.kept or report.gone or report.unsure or report.left_out:
            lines.append("load_seed -v 2 lists them.")
        self.stdout.write("\n".join(lines))
