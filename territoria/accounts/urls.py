from django.urls import path

from territoria.accounts.views import auth, invitations, members, space

app_name = "accounts"

urlpatterns = [
    path("connexion/", auth.login_view, name="login"),
    path("deconnexion/", auth.logout_view, name="logout"),
    path("mot-de-passe/oublie/", auth.password_reset, name="password_reset"),
    path("mot-de-passe/oublie/envoye/", auth.password_reset_done, name="password_reset_done"),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        auth.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        auth.password_reset_complete,
        name="password_reset_complete",
    ),
    path("mot-de-passe/changer/", auth.password_change, name="password_change"),
    path("espace/", space.space, name="space"),
    path("mon-compte/", space.account, name="account"),
    path("espace/<slug:slug>/membres/", members.members, name="members"),
    path("espace/<slug:slug>/membres/inviter/", members.invite, name="invite"),
    path("espace/<slug:slug>/membres/<int:pk>/role/", members.change_role, name="change_role"),
    path("espace/<slug:slug>/membres/<int:pk>/retirer/", members.remove, name="remove_member"),
    path(
        "espace/<slug:slug>/invitations/<int:pk>/revoquer/",
        members.revoke,
        name="revoke_invitation",
    ),
    path("espace/<slug:slug>/journal/", members.journal, name="journal"),
    path("invitation/<str:token>/", invitations.accept, name="invitation"),
]
