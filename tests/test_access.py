"""Row-level access: each model's `visible_to(user)` follows the roles table of docs/domain.md."""

from employees.models import Employee
from evaluations.models import Evaluation, Referral
from partners.models import Grant
from tests import factories
from trajectories.models import Internship, Trajectory


def test_partner_staff_see_only_their_own_trajectories(partner_staff, partner, other_partner):
    own = factories.TrajectoryFactory(partner=partner)
    factories.TrajectoryFactory(partner=other_partner)
    assert list(Trajectory.objects.visible_to(partner_staff)) == [own]


def test_partner_staff_see_only_internships_of_their_trajectories(partner_staff, partner, other_partner):
    own = factories.InternshipFactory(trajectory__partner=partner)
    factories.InternshipFactory(trajectory__partner=other_partner)
    assert list(Internship.objects.visible_to(partner_staff)) == [own]


def test_partner_staff_see_persons_referred_to_them_or_in_their_trajectories(partner_staff, partner, other_partner):
    in_trajectory = factories.TrajectoryFactory(partner=partner).employee
    evaluation = factories.EvaluationFactory()
    Referral.objects.create(evaluation=evaluation, employee=evaluation.employee, partner=partner)
    factories.TrajectoryFactory(partner=other_partner)
    stranger = factories.EmployeeFactory()
    visible = set(Employee.objects.visible_to(partner_staff))
    assert visible == {in_trajectory, evaluation.employee}
    assert stranger not in visible


def test_partner_staff_see_only_referrals_to_them(partner_staff, partner, other_partner):
    evaluation = factories.EvaluationFactory()
    mine = Referral.objects.create(evaluation=evaluation, employee=evaluation.employee, partner=partner)
    Referral.objects.create(evaluation=evaluation, employee=evaluation.employee, partner=other_partner)
    assert list(Referral.objects.visible_to(partner_staff)) == [mine]


def test_evaluators_see_persons_and_evaluations_but_no_trajectories(evaluator):
    trajectory = factories.TrajectoryFactory()
    evaluation = factories.EvaluationFactory(employee=trajectory.employee)
    assert trajectory.employee in Employee.objects.visible_to(evaluator)
    assert evaluation in Evaluation.objects.visible_to(evaluator)
    assert not Trajectory.objects.visible_to(evaluator).exists()
    assert not Internship.objects.visible_to(evaluator).exists()


def test_analysts_see_no_person_and_no_case_record(analyst):
    trajectory = factories.TrajectoryFactory()
    factories.EvaluationFactory(employee=trajectory.employee)
    factories.GrantFactory()
    assert not Employee.objects.visible_to(analyst).exists()
    assert not Evaluation.objects.visible_to(analyst).exists()
    assert not Trajectory.objects.visible_to(analyst).exists()
    assert not Grant.objects.visible_to(analyst).exists()


def test_administrators_see_everything(administrator):
    factories.TrajectoryFactory()
    factories.GrantFactory()
    assert Trajectory.objects.visible_to(administrator).count() == 1
    assert Grant.objects.visible_to(administrator).count() == 1


def test_user_without_role_sees_nothing(db):
    user = factories.UserFactory()
    factories.TrajectoryFactory()
    assert not Employee.objects.visible_to(user).exists()
    assert not Trajectory.objects.visible_to(user).exists()
