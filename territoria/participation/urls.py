from django.urls import path

from territoria.participation.views import budget, budget_admin, consultations, hub, ideas

app_name = "participation"

B = "<slug:slug>/budgets/<slug:campaign>/"
C = "<slug:slug>/consultations/<slug:consultation>/"

urlpatterns = [
    path("", hub.home, name="home"),
    path("oidc/retour/", budget.oidc_callback, name="oidc_callback"),
    path("<slug:slug>/", hub.collectivite, name="collectivite"),
    # Idea box
    path("<slug:slug>/idees/", ideas.ideas, name="ideas"),
    path("<slug:slug>/idees/proposer/", ideas.idea_new, name="idea_new"),
    path("<slug:slug>/idees/<int:pk>/", ideas.idea, name="idea"),
    path("<slug:slug>/idees/<int:pk>/image/", ideas.idea_image, name="idea_image"),
    path("<slug:slug>/idees/<int:pk>/soutenir/", ideas.idea_support, name="idea_support"),
    path("<slug:slug>/idees/<int:pk>/commenter/", ideas.idea_comment, name="idea_comment"),
    path("<slug:slug>/idees/<int:pk>/signaler/", ideas.idea_flag, name="idea_flag"),
    path("<slug:slug>/idees/<int:pk>/repondre/", ideas.idea_answer, name="idea_answer"),
    path("<slug:slug>/idees/<int:pk>/projet/", ideas.idea_to_project, name="idea_to_project"),
    path("<slug:slug>/moderation/", ideas.moderation, name="moderation"),
    # Participatory budgets
    path("<slug:slug>/budgets/nouveau/", budget_admin.campaign_new, name="campaign_new"),
    path(B, budget.campaign_page, name="campaign"),
    path(B + "deposer/", budget.project_new, name="project_new"),
    path(B + "voter/", budget.vote, name="vote"),
    path(B + "voter/identite-numerique/", budget.oidc_start, name="oidc_start"),
    path(B + "bulletin/", budget.ballot, name="ballot"),
    path(B + "a-vote/", budget.voted, name="voted"),
    path(B + "gestion/", budget_admin.campaign_manage, name="campaign_manage"),
    path(B + "gestion/regles/", budget_admin.campaign_rules, name="campaign_rules"),
    path(B + "gestion/<slug:step>/", budget_admin.campaign_transition, name="campaign_transition"),
    path(B + "fichier/", budget_admin.census_import, name="census_import"),
    path(B + "papier/", budget_admin.paper_ballot, name="paper_ballot"),
    path(B + "projets/<int:pk>/analyse/", budget_admin.project_review, name="project_review"),
    path(B + "projets/<int:pk>/etapes/", budget_admin.milestone_new, name="milestone_new"),
    # Consultations
    path(
        "<slug:slug>/consultations/nouvelle/",
        consultations.consultation_new,
        name="consultation_new",
    ),
    path(C, consultations.consultation, name="consultation"),
    path(C + "resultats/", consultations.consultation_results, name="consultation_results"),
    path(C + "export.csv", consultations.consultation_export, name="consultation_export"),
    path(C + "gestion/", consultations.consultation_manage, name="consultation_manage"),
    path(C + "gestion/textes/", consultations.consultation_texts, name="consultation_texts"),
]
