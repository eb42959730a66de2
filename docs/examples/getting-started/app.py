from dataclasses import dataclass

import lambdago


@dataclass
class Order:
    order_id: str
    quantity: int


@dataclass
class Receipt:
    order_id: str
    total_cents: int
    request_id: str


def handler(ctx: lambdago.Context, order: Order) -> Receipt:
    print(f"pricing {order.quantity} x {order.order_id}")
    return Receipt(order.order_id, order.quantity * 1250, ctx.aws_request_id)


if __name__ == "__main__":
    lambdago.start(handler)
