from django.urls import path

from territoria.demarches.views import instruction, library, public

app_name = "demarches"

urlpatterns = [
    path("", library.library, name="library"),
    path("modeles/<slug:template_slug>/", library.template_detail, name="template"),
    path("modeles/<slug:template_slug>/publier/", library.publish, name="publish"),
    path("modeles/<slug:template_slug>/champs/", library.edit_fields, name="fields"),
    path("suivi/<str:token>/", public.track, name="track"),
    path("<slug:slug>/", public.procedures, name="procedures"),
    path("<slug:slug>/<int:adoption_id>/", public.fill, name="fill"),
    path("<slug:slug>/gestion/", library.manage, name="manage"),
    path("<slug:slug>/gestion/adopter/<slug:template_slug>/", library.adopt, name="adopt"),
    path("<slug:slug>/gestion/<int:adoption_id>/", library.adoption_settings, name="adoption"),
    path(
        "<slug:slug>/gestion/<int:adoption_id>/mise-a-jour/",
        library.take_update,
        name="take_update",
    ),
    path("<slug:slug>/gestion/<int:adoption_id>/dossiers/", instruction.queue, name="queue"),
    path(
        "<slug:slug>/gestion/<int:adoption_id>/dossiers.csv",
        instruction.export,
        name="export",
    ),
    path(
        "<slug:slug>/gestion/<int:adoption_id>/schema.json",
        instruction.export_schema_view,
        name="schema",
    ),
    path(
        "<slug:slug>/gestion/<int:adoption_id>/dossiers/<int:dossier_id>/",
        instruction.dossier_detail,
        name="dossier",
    ),
    path(
        "<slug:slug>/gestion/<int:adoption_id>/dossiers/<int:dossier_id>/etat/",
        instruction.dossier_state,
        name="dossier_state",
    ),
    path(
        "<slug:slug>/gestion/<int:adoption_id>/dossiers/<int:dossier_id>/ecrire/",
        instruction.dossier_write,
        name="dossier_write",
    ),
    path(
        "<slug:slug>/gestion/<int:adoption_id>/dossiers/<int:dossier_id>/pieces/<int:file_id>/",
        instruction.attachment,
        name="attachment",
    ),
]
