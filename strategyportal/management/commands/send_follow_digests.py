from django.core.management.base import BaseCommand

from strategyportal.follow.digests import send_digests


class Command(BaseCommand):
    help = (
        "Sender ugens e-mail til dem, der følger en organisation, strategi eller et mål: "
        "højst én om ugen pr. abonnement, og kun når der er sket noget. Køres dagligt fra cron."
    )

    def handle(self, *args, **options):
        sent = send_digests()
        if options["verbosity"] > 0:
            self.stdout.write(f"{sent} sent")
