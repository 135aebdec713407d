# French.

## Eligibility reasons.

eligibility-not-validated = le programme exige une validation approuvée
eligibility-validation-expired = la validation de l'organisation a expiré : renouvelez-la
eligibility-country-not-served = le programme n'est pas disponible dans le pays de l'organisation
eligibility-type-not-eligible = le programme n'est pas destiné à ce type d'organisation
eligibility-budget-over = le budget annuel de l'organisation dépasse la limite du programme
eligibility-budget-unknown = le programme a une limite de budget : déclarez le budget annuel de l'organisation
eligibility-budget-other-currency = le budget de l'organisation est dans une autre devise que la limite du programme
eligibility-cap-reached = l'organisation a reçu le maximum que ce programme accorde par période ({ $remaining ->
        [one] { $remaining } unité restante
       *[other] { $remaining } unités restantes
    })
eligibility-cap-reached-resets = l'organisation a reçu le maximum que ce programme accorde par période ({ $remaining ->
        [one] { $remaining } unité restante
       *[other] { $remaining } unités restantes
    }) ; des unités se libèrent à nouveau le { $resets }
eligibility-out-of-stock = le programme n'a plus de stock
eligibility-program-inactive = le programme n'accepte pas de demandes

## Manques à la réservation d'unités.

shortfall-stock = stock insuffisant : { $left ->
        [one] { $left } unité restante
       *[other] { $left } unités restantes
    }, { $asked } demandées
shortfall-cap = l'organisation peut encore recevoir { $left ->
        [one] { $left } unité
       *[other] { $left } unités
    } sur cette période ; { $asked } demandées
request-over-available = l'organisation peut demander au plus { $available ->
        [one] { $available } unité
       *[other] { $available } unités
    } maintenant

## Formations recommandées (Organization.recommendedTrainings).

# $challenge (text): the title of the most urgent challenge a session answers; $urgency (number): its urgency; $more (number): how many other challenges it answers.
recommendation-reason = répond à votre défi « { $challenge } » (urgence { $urgency } sur 5){ $more ->
        [0] {""}
        [one] {" "}et à un autre de vos défis
       *[other] {" "}et à { $more } autres de vos défis
    }
