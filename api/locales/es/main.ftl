# Spanish.

## Eligibility reasons.

eligibility-not-validated = el programa requiere una validación aprobada
eligibility-validation-expired = la validación de la organización ha caducado: renuévela
eligibility-country-not-served = el programa no está disponible en el país de la organización
eligibility-type-not-eligible = el programa no es para este tipo de organización
eligibility-budget-over = el presupuesto anual de la organización supera el límite del programa
eligibility-budget-unknown = el programa tiene un límite de presupuesto: declare el presupuesto anual de la organización
eligibility-budget-other-currency = el presupuesto de la organización está en otra moneda que el límite del programa
eligibility-cap-reached = la organización ya recibió el máximo que este programa da por período ({ $remaining ->
        [one] queda { $remaining } unidad
       *[other] quedan { $remaining } unidades
    })
eligibility-cap-reached-resets = la organización ya recibió el máximo que este programa da por período ({ $remaining ->
        [one] queda { $remaining } unidad
       *[other] quedan { $remaining } unidades
    }); vuelve a haber unidades disponibles el { $resets }
eligibility-out-of-stock = al programa no le quedan existencias
eligibility-program-inactive = el programa no está aceptando solicitudes

## Faltas al reservar unidades.

shortfall-stock = no hay stock suficiente: { $left ->
        [one] queda { $left } unidad
       *[other] quedan { $left } unidades
    }; se pidieron { $asked }
shortfall-cap = la organización puede recibir { $left ->
        [one] { $left } unidad más
       *[other] { $left } unidades más
    } en este periodo; se pidieron { $asked }
request-over-available = la organización puede pedir como máximo { $available ->
        [one] { $available } unidad
       *[other] { $available } unidades
    } ahora

## Recomendaciones de formación (Organization.recommendedTrainings).

# $challenge (text): the title of the most urgent challenge a session answers; $urgency (number): its urgency; $more (number): how many other challenges it answers.
recommendation-reason = responde a su desafío «{ $challenge }» (urgencia { $urgency } de 5){ $more ->
        [0] {""}
        [one] {" "}y a otro de sus desafíos
       *[other] {" "}y a otros { $more } de sus desafíos
    }
