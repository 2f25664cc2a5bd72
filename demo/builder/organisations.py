"""Organisations and users, and the money and pilots: calls, grants and sector pilots."""

from collections import defaultdict
from decimal import Decimal

from django.contrib.auth.models import Group

from accounts.models import User
from accounts.roles import Role
from demo import answer as ans
from demo.answer import CM, LDE, PROVINCES
from demo.builder.constants import (
    CALL_432_UNITS,
    CALL_432_YEAR_SHARES,
    CALL_INTERNSHIP_WEEKS,
    CALL_TRAJECTORY_MONTHS,
    PARTNERS,
    SECTORS,
    TOWNS,
    VDAB_OFFICES,
    D,
    moment,
)
from demo.builder.records import Records
from partners.constants import OrganisationKind
from partners.models import Call, Grant


class Organisations(Records):
    """Partners, employers, evaluators and caseworkers; calls, grants and pilots."""

    def build_organisations(self):
        self.partners = {name: self.org(name, OrganisationKind.PARTNER, pc, D(2018, 3, 1)) for name, pc in PARTNERS}
        self.se_employers = defaultdict(list)  # (province, instrument kind) -> employers
        used = set()
        for province in PROVINCES:
            for (postcode, town), kind in zip(TOWNS[province], [CM, CM, CM, LDE, LDE, CM]):
                name = self.fake.last_name()
                while name in used:
                    name = self.fake.last_name()
                used.add(name)
                label = f"Maatwerkbedrijf {name} ({town})" if kind == CM else f"Buurtdiensten {name} vzw ({town})"
                self.se_employers[(province, kind)].append(self.org(label, OrganisationKind.SE_EMPLOYER, postcode))
        # One employer whose postcode was never recorded: its records fall in 'onbekend'.
        self.unknown_se_employer = self.org(
            f"Maatwerkbedrijf {self.fake.last_name()}", OrganisationKind.SE_EMPLOYER, None
        )
        self.regular = defaultdict(list)  # province -> [(employer, sector)]
        sectors = list(SECTORS)
        for province in PROVINCES:
            for i, (postcode, town) in enumerate(TOWNS[province]):
                sector = sectors[(PROVINCES.index(province) * 3 + i) % len(sectors)]
                name = self.fake.last_name()
                suffix = self.rng.choice(["NV", "BV", "CV"])
                label = f"{name} {SECTORS[sector]} {suffix}"
                if sector == "zorg":
                    label = f"Woonzorgcentrum {name} ({town})"
                self.regular[province].append((self.org(label, OrganisationKind.REGULAR_EMPLOYER, postcode), sector))
        # Two big retailers, care homes, a cleaning company and a parcel firm of the 2017-2018 pilots.
        R = OrganisationKind.REGULAR_EMPLOYER
        last = self.fake.last_name
        self.pilot_hosts = {
            "retail": [self.org(f"Supermarkten {last()} NV", R, 1930), self.org(f"Modehuis {last()} NV", R, 9051)],
            "zorg": [
                self.org(f"Woonzorgcentrum {last()} (OCMW)", R, 8310),
                self.org(f"Woonzorggroep {last()} vzw", R, 2610),
            ],
            "logistiek": [
                self.org(f"Schoonmaakgroep {last()} NV", R, 1731),
                self.org(f"Pakjesdienst {last()} NV", R, 3520),
            ],
        }
        for sector, hosts in self.pilot_hosts.items():
            for host in hosts:
                self.regular[host.province].append((host, sector))

    def build_users(self):
        """Fictitious evaluators (per VDAB office) and caseworkers (per partner); they cannot log in."""
        self.evaluators = defaultdict(list)
        evaluator_group = Group.objects.get(name=Role.EVALUATOR.value)
        staff_group = Group.objects.get(name=Role.PARTNER_STAFF.value)
        for province, office in VDAB_OFFICES.items():
            for n in (1, 2):
                user = User(
                    username=f"vdab.{office.split()[-1].lower()}{n}",
                    first_name=self.fake.first_name(),
                    last_name=self.fake.last_name(),
                    office=office,
                )
                user.set_unusable_password()
                self.evaluators[province].append(user)
        self.caseworkers = {}
        for i, name in enumerate(self.partners):
            user = User(
                username=f"trajectbegeleider{i + 1:02d}",
                first_name=self.fake.first_name(),
                last_name=self.fake.last_name(),
            )
            user.set_unusable_password()
            self.caseworkers[name] = user
        users = [u for us in self.evaluators.values() for u in us] + list(self.caseworkers.values())
        User.objects.bulk_create(users)
        saved = {u.username: u for u in User.objects.filter(username__in=[u.username for u in users])}
        for province, us in self.evaluators.items():
            self.evaluators[province] = [saved[u.username] for u in us]
        self.caseworkers = {name: saved[u.username] for name, u in self.caseworkers.items()}
        for name, user in self.caseworkers.items():
            user.organisation = self.partners[name]
        User.objects.bulk_update(list(self.caseworkers.values()), ["organisation"])
        Through = User.groups.through
        Through.objects.bulk_create(
            [Through(user_id=u.pk, group_id=evaluator_group.pk) for us in self.evaluators.values() for u in us]
            + [Through(user_id=u.pk, group_id=staff_group.pk) for u in self.caseworkers.values()]
        )

    def build_calls_and_grants(self):
        self.call_432 = Call.objects.get(number="432")
        self.call_esf_plus, _ = Call.objects.get_or_create(
            number="ESF+ 2023",
            defaults={
                "name": "Doorstroom sociale economie ESF+ (fictief, demo)",
                "standard_cost": Decimal("4400.00"),
                "esf_share": Decimal("0.40"),
                "start_date": D(2023, 1, 1),
                "end_date": D(2027, 12, 31),
            },
        )
        if not self.call_432.start_date:
            self.call_432.start_date, self.call_432.end_date = D(2018, 5, 1), D(2022, 12, 31)
            self.call_432.save()
        for call in (self.call_432, self.call_esf_plus):
            if call.trajectory_months is None and call.max_internship_weeks is None:
                # Assumed (docs/casework.md): the four phases at their longest (1 + 3 + 3 + 3 months,
                # docs/domain.md), an internship phase of up to 3 months, 13 weeks.
                call.trajectory_months, call.max_internship_weeks = CALL_TRAJECTORY_MONTHS, CALL_INTERNSHIP_WEEKS
                call.save()
        assert sum(CALL_432_UNITS.values()) == ans.CALL_432_UNITS
        years = list(CALL_432_YEAR_SHARES)
        for name, units in CALL_432_UNITS.items():
            split = {y: int(units * share) for y, share in CALL_432_YEAR_SHARES.items()}
            split[2020] += units - sum(split.values())
            for year in years:
                self.grant(self.call_432, name, year, split[year], Decimal("4200"), D(2018, 5, 15))
        for name in CALL_432_UNITS:
            for year in (2023, 2024, 2025):
                units = max(2, CALL_432_UNITS[name] // 6 + self.r(-1, 2))
                self.grant(self.call_esf_plus, name, year, units, Decimal("4400"), D(2022, 12, 1))

    def grant(self, call, partner, year, units, cost, decided):
        total = cost * units
        esf = (total * call.esf_share).quantize(Decimal("0.01"))
        g = Grant(
            call=call,
            partner=self.partners[partner],
            year=year,
            esf_amount=esf,
            flemish_amount=total - esf,
            registered_on=decided,
        )
        g._history_date = moment(decided)
        self.grants.append(g)
        if year <= 2024:
            # Spending is reported after the year, and was not known when the answer was given.
            spent = (total * Decimal(self.r(62, 100)) / 100).quantize(Decimal("0.01"))
            self.changes.append((g, max(D(year + 1, 6, 30), D(2020, 3, 31)), {"spent_amount": spent}))

    def build_pilots(self):
        se = [e for es in self.se_employers.values() for e in es]
        self.pilots = [
            (
                "Proeftuin doorstroom retail",
                "retail",
                D(2017, 3, 1),
                D(2018, 12, 31),
                "Bij twee grote bedrijven werden doelgroepmedewerkers als winkelmedewerker ingeschakeld op de "
                "werkvloer.",
                self.pilot_hosts["retail"] + se[0:3],
            ),
            (
                "Proeftuin doorstroom zorg",
                "zorg",
                D(2017, 3, 1),
                D(2018, 12, 31),
                "Goede trajecten met doelgroepmedewerkers als polyvalent medewerker in publieke en private "
                "woonzorgcentra.",
                self.pilot_hosts["zorg"] + se[5:8],
            ),
            (
                "Proeftuin doorstroom logistiek",
                "logistiek",
                D(2017, 5, 1),
                D(2018, 12, 31),
                "Onder meer een stage als magazijnmedewerker in een groot schoonmaakbedrijf en een stageplek bij "
                "Bpost.",
                self.pilot_hosts["logistiek"] + se[10:13],
            ),
            (
                "Doorstroom met zorg",
                "zorg",
                D(2019, 9, 1),
                D(2020, 12, 31),
                "Overheidsopdracht om de proeftuinen te herhalen in woon- en zorgcentra en de ziekenhuissector, en "
                "de drempels naar de sector in kaart te brengen.",
                self.pilot_hosts["zorg"] + se[15:17],
            ),
        ]
