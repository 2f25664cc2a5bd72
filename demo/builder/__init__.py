"""The demo builder, one module per kind of record; demo/data.py puts the steps together.

constants: dates, places, partners and budgets of the plan, and small pure helpers;
records: the builder's state and the making of one record (person, spell, evaluation, trajectory, ...);
organisations: organisations, users, calls, grants and pilots;
fates: what follows a trajectory (its end, an internship, a job);
answer_records: the records behind the minister's answer (questions 1 to 3);
later: the history before the answer (2014-2017) and the years after it (2020-2025).
"""
